package model

import "github.com/wardtm/ward/internal/diag"

// Validate checks a decoded model.
func Validate(m *Model) diag.List { return nil }
