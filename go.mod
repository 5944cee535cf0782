module github.com/derivmath/derivmath

go 1.24

require (
	github.com/cockroachdb/apd/v3 v3.2.3
	github.com/google/go-cmp v0.7.0
	pgregory.net/rapid v1.3.0
)
