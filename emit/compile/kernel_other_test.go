//go:build !linux

package compile

func runChild(string) int { return 1 }
