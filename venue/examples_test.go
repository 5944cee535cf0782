package venue_test

import (
	"testing"

	"github.com/derivmath/derivmath/internal/dectest"
)

// TestExamples checks that every exported function and method has an Example.
func TestExamples(t *testing.T) { dectest.Examples(t, ".") }
