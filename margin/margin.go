package margin

import "fmt"

// wrap wraps an apd failure with the operation's name; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("margin: %s: %w", op, err)
}
