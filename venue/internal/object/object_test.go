package object

import (
	"errors"
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
