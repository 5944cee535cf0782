package engine_test

import (
	"testing"

	"github.com/derivmath/derivmath/internal/dectest"
)

// TestExamples checks that every exported function and method of engine
// and engine/drive has an Example.
func TestExamples(t *testing.T) {
	dectest.Examples(t, ".")
	dectest.Examples(t, "drive")
}
