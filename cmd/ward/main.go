// Command ward is threat modeling as code for medical-device and health
// software. See the README for a first run.
package main

import (
	"context"
	"os"

	"github.com/wardtm/ward/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
