//go:build !unix

package vuln_test

import "time"

// processCPU returns 0 where getrusage is missing; the cpu-s/op metric
// then reads 0.
func processCPU() time.Duration { return 0 }
