// Command ward is threat modeling as code for medical-device and health
// software. See the README for a first run.
package main

import (
	"context"
	"os"

	"github.com/wardtm/ward/internal/cli"
	"github.com/wardtm/ward/internal/diagram"
)

func main() {
	// The diagram Renderer starts this executable again to lay out large
	// graphs in a process of their own.
	os.Exit(diagram.RunOrServe(func() int {
		return cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	}))
}
