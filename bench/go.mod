module github.com/derivmath/derivmath/bench

go 1.24

require (
	github.com/cockroachdb/apd/v3 v3.2.3
	github.com/derivmath/derivmath v0.0.0
	github.com/govalues/decimal v0.1.36
	github.com/quagmt/udecimal v1.11.1
	github.com/shopspring/decimal v1.6.0
)

replace github.com/derivmath/derivmath => ../
