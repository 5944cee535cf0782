// Package enum names the values of derivmath's enumerated types.
package enum

import "strconv"

// Name returns names[v], or typ(v) for a v outside names[1:]: the zero
// value of every enumeration is invalid.
func Name(typ string, names []string, v int) string {
	if v < 1 || v >= len(names) {
		return typ + "(" + strconv.Itoa(v) + ")"
	}
	return names[v]
}
