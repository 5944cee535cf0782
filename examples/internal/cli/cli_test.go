package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"testing"
)

// TestExit: no error and -h exit 0 and print nothing; any other error,
// wrapped ErrHelp aside, exits 2 and prints the program's name and the
// error.
func TestExit(t *testing.T) {
	for _, c := range []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 0, ""},
		{fmt.Errorf("parse: %w", flag.ErrHelp), 0, ""},
		{errors.New("bad -size"), 2, "prog: bad -size\n"},
	} {
		var stderr bytes.Buffer
		if code := Exit(&stderr, "prog", c.err); code != c.code || stderr.String() != c.stderr {
			t.Errorf("Exit(%v): %d, %q; want %d, %q", c.err, code, stderr.String(), c.code, c.stderr)
		}
	}
}
