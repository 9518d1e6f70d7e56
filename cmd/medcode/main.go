package main

import (
	"os"

	"github.com/medcode/medcode/cmd/medcode/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
