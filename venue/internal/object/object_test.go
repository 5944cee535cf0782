package object

import (
	"errors"
	"fmt"
	"testing"

	"github.com/derivmath/derivmath/venue"
)

// TestArray checks Array, which reads the array as RawArray does: a
// missing optional array is nil, an empty one empty, a value that is not
// an array or an element that is not an object venue.ErrType.
func TestArray(t *testing.T) {
	tests := []struct {
		raw     string
		n       int // -1: nil
		wantErr bool
	}{
		{`{}`, -1, false},
		{`{"a": null}`, -1, false},
		{`{"a": []}`, 0, false},
		{`{"a": [{"x": 1}, {}]}`, 2, false},
		{`{"a": {}}`, -1, true},
		{`{"a": [1]}`, 1, true},
	}
	for _, tt := range tests {
		o := New([]byte(tt.raw), venue.Row{})
		got := o.Array("a", Optional)
		if n := len(got); tt.n < 0 && got != nil || tt.n >= 0 && (got == nil || n != tt.n) {
			t.Errorf("Array of %s: %d objects (nil %t), want %d", tt.raw, n, got == nil, tt.n)
		}
		if err := o.Err(); errors.Is(err, venue.ErrType) != tt.wantErr {
			t.Errorf("Array of %s: error %v, want ErrType %t", tt.raw, err, tt.wantErr)
		}
	}
}

// TestCause: an error that matches a venue sentinel is kept as it is; any
// other is wrapped in venue.ErrValue, and errors.Is still finds it.
func TestCause(t *testing.T) {
	other := errors.New("library: refused")
	for _, s := range []error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue} {
		err := fmt.Errorf("x: %w", s)
		if got := Cause(err); got != err { //nolint:errorlint // the same value, not only a match
			t.Errorf("Cause(%v) = %v, want it unchanged", err, got)
		}
	}
	got := Cause(other)
	if !errors.Is(got, venue.ErrValue) || !errors.Is(got, other) {
		t.Errorf("Cause(%v) = %v, want ErrValue wrapping it", other, got)
	}
}

// TestMillis: 0 is no time, which a required field reports missing and an
// optional one reads as the zero time.
func TestMillis(t *testing.T) {
	o := New([]byte(`{"t": 0}`), venue.Row{})
	if got := o.Millis("t", Optional); !got.IsZero() || o.Err() != nil {
		t.Errorf("optional 0: %v, %v", got, o.Err())
	}
	if got := o.Millis("t", Required); !got.IsZero() || !errors.Is(o.Err(), venue.ErrMissing) {
		t.Errorf("required 0: %v, %v, want ErrMissing", got, o.Err())
	}
	o = New([]byte(`{"t": "1702780274788"}`), venue.Row{})
	if got := o.Millis("t", Required); got.UnixMilli() != 1702780274788 || o.Err() != nil {
		t.Errorf("a string of milliseconds: %v, %v", got, o.Err())
	}
}
