package browser

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

const url = "https://vault.apideck.com/session/eyJ0.e30.c2ln?a=1&b=$(reboot)"

func TestCommandsReadBrowserLikeOtherTools(t *testing.T) {
	got := Commands("w3m: firefox --new-tab %s ::open -a Safari", url)
	want := [][]string{{"w3m", url}, {"firefox", "--new-tab", url}, {"open", "-a", "Safari", url}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := Commands("", url); len(got) != 0 {
		t.Fatalf("empty $BROWSER gave %q", got)
	}
	if got := Commands("echo url=%s", url); !reflect.DeepEqual(got, [][]string{{"echo", "url=" + url}}) {
		t.Fatalf("got %q", got)
	}
}

func TestOpenTriesEachThenTheSystemOpener(t *testing.T) {
	var launched []string
	var system []string
	o := Opener{
		Getenv: func(k string) string {
			if k == "BROWSER" {
				return "missing-browser:broken %s"
			}
			return ""
		},
		Launch: func(name string, args []string) error {
			launched = append(launched, name+" "+strings.Join(args, " "))
			if name == "missing-browser" {
				return errors.New("executable file not found in $PATH")
			}
			return errors.New("exit status 1")
		},
		System: func(u string) error { system = append(system, u); return nil },
	}
	how, err := o.Open(url)
	if err != nil || how != "the system opener" {
		t.Fatalf("how %q err %v", how, err)
	}
	if want := []string{"missing-browser " + url, "broken " + url}; !reflect.DeepEqual(launched, want) {
		t.Fatalf("launched %q", launched)
	}
	if !reflect.DeepEqual(system, []string{url}) {
		t.Fatalf("system opener got %q", system)
	}

	o.System = func(string) error { return errors.New("exit status 3") }
	o.SystemName = SystemName("linux")
	_, err = o.Open(url)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err %v", err)
	}
	want := "tried $BROWSER missing-browser (executable file not found in $PATH); $BROWSER broken (exit status 1); xdg-open (exit status 3)"
	if err.Error() != want {
		t.Fatalf("error\n %q\nwant\n %q", err.Error(), want)
	}
}

// The real launcher runs a script from $BROWSER that records its argument:
// it gets the URL whole, as one argument, whatever it holds.
func TestBrowserScriptGetsTheURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	dir := t.TempDir()
	got := filepath.Join(dir, "got")
	record := filepath.Join(dir, "record-browser")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + got + "\n"
	if err := os.WriteFile(record, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	fail := filepath.Join(dir, "failing-browser")
	if err := os.WriteFile(fail, []byte("#!/bin/sh\nexit 4\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	browserEnv := filepath.Join(dir, "not-there") + ":" + fail + ":" + record + " --new-window %s"
	o := Opener{
		Getenv: func(k string) string { return map[string]string{"BROWSER": browserEnv}[k] },
		Launch: Launch,
		System: func(string) error { t.Fatal("the system opener was used"); return nil },
	}
	how, err := o.Open(url)
	if err != nil || how != "$BROWSER: "+record {
		t.Fatalf("how %q err %v", how, err)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := "--new-window\n" + url + "\n"; string(b) != want {
		t.Fatalf("the browser got %q, want %q", b, want)
	}
}

// A browser that keeps running (one started fresh) counts as opened.
func TestLaunchLeavesARunningBrowserRunning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	if err := launch("sleep", []string{"1"}, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := launch("false", nil, time.Second); err == nil {
		t.Fatal("a command that exits 1 opened nothing")
	}
}
