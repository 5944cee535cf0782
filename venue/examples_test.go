package venue_test

import (
	"testing"

	"github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestExamples checks that every exported function and method has an Example.
func TestExamples(t *testing.T) { payloadtest.Examples(t, ".") }
