// Package cli holds the example programs' exit rule, so that each of them
// ends the same way: what a run's error prints, and the status the
// program exits with.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit returns the exit status for err, the error of a program's run, and
// prints err to stderr after the program's name: 0 for no error and for
// flag.ErrHelp (-h or -help, after which the flag set has printed the
// usage, and nothing more is printed), 2 for any other error.
func Exit(stderr io.Writer, name string, err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	}
	_, _ = fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return 2
}
