package coding

import "fmt"

// HumanBytes is a size as people read it: bytes, KB or MB.
func HumanBytes(n int64) string {
	const mb = 1 << 20
	switch {
	case n >= mb:
		return fmt.Sprintf("%.1f MB", float64(n)/mb)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
