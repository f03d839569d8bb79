package report

import "os/exec"

var execLookPath = exec.LookPath
