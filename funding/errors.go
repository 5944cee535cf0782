package funding

import "errors"

// Errors returned for inputs that are well-formed numbers but meaningless for
// the computation.
var (
	// ErrBound reports a clamp bound, cap or dead band that is negative or
	// 1 or more.
	ErrBound = errors.New("funding: bound out of range [0, 1)")
	// ErrMarginRate reports a margin rate outside (0, 1], or a maintenance
	// rate above the initial rate.
	ErrMarginRate = errors.New("funding: margin rate out of range (0, 1] or maintenance above initial")
	// ErrFactor reports a cap multiplier that is zero or negative.
	ErrFactor = errors.New("funding: cap multiplier must be positive")
	// ErrMargin reports an impact margin that is zero or negative.
	ErrMargin = errors.New("funding: impact margin must be positive")
	// ErrCrossed reports an impact bid above the impact ask.
	ErrCrossed = errors.New("funding: impact bid above impact ask")
	// ErrEmptyWindow reports an averaging window without samples.
	ErrEmptyWindow = errors.New("funding: empty sample window")
	// ErrWeighting reports a Weighting outside the defined constants.
	ErrWeighting = errors.New("funding: invalid weighting")
	// ErrScaling reports a Scaling outside the defined constants.
	ErrScaling = errors.New("funding: invalid scaling")
)

// Errors returned for invalid times and durations.
var (
	// ErrInterval reports a funding interval that is not positive or does
	// not divide 24 hours.
	ErrInterval = errors.New("funding: interval must be positive and divide 24h")
	// ErrOffset reports a schedule offset outside [0, interval).
	ErrOffset = errors.New("funding: offset out of range [0, interval)")
	// ErrTimeLeft reports a time until funding outside [0, interval].
	ErrTimeLeft = errors.New("funding: time until funding out of range [0, interval]")
	// ErrDuration reports a negative accrual duration.
	ErrDuration = errors.New("funding: negative duration")
	// ErrExpiry reports a time to expiry that is zero or negative.
	ErrExpiry = errors.New("funding: time to expiry must be positive")
	// ErrBasis reports a basis rate so negative that the fair price of a
	// dated future would be zero or negative.
	ErrBasis = errors.New("funding: basis rate gives a fair price that is not positive")
)
