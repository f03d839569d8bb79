package cli

import "fmt"

// countOf returns n with the singular or plural noun, such as "1 item" or
// "3 items", for messages that count things.
func countOf(n int, singular, plural string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, singular)
	}
	return fmt.Sprintf("%d %s", n, plural)
}
