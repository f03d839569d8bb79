// Package risk scores CVSS vectors and assesses the risk of each threat
// before and after its controls.
//
// CVSS v3.0 and v3.1 vectors are scored with github.com/pandatix/go-cvss.
// CVSS v4.0 vectors are parsed by go-cvss but scored by this package in
// exact rational arithmetic, so that scores match the FIRST reference
// calculator where go-cvss's floating-point rounding does not (see
// cvss40.go). Risk combines an exploitability level and a severity level
// through a risk matrix that the model's risk section can change, and
// compares the residual level with the model's acceptance criterion.
//
// The package never reads files and never prints.
package risk
