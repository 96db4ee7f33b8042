package batchrun

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckPaths refuses a batch whose files overlap: the results appended to
// the input would be read back as rows (the file grows without end), and
// the failed rows put in the place of the input or of the results would
// replace them, or remove them when every row got its session. input is
// "" for stdin; results "" for stdout; retry "" when there is none.
func CheckPaths(input, results, retry string) error {
	named := []struct{ flag, path string }{{"the input", input}, {"--results", results}, {"--retry-file", retry}}
	for i, a := range named {
		for _, b := range named[i+1:] {
			if a.path != "" && b.path != "" && sameFile(a.path, b.path) {
				return fmt.Errorf("%s and %s are the same file (%s): give each its own", a.flag, b.flag, b.path)
			}
		}
	}
	return nil
}

// sameFile reports whether a and b name one file: the same file when both
// exist (links included), the same absolute path otherwise.
func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
