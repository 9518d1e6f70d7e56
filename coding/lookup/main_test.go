package lookup

import (
	"os"
	"testing"

	"github.com/medcode/medcode/coding/codingtest"
)

func TestMain(m *testing.M) { os.Exit(codingtest.Main(m)) }
