package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/spf13/pflag"
)

// How the commands print on stdout: the --output formats and the JSON
// they write, always through termtext.JSON.

// outputFormat is how results are printed on stdout.
type outputFormat string

const (
	outputText  outputFormat = "text"  // for people: the URL, or the HTTP request
	outputJSON  outputFormat = "json"  // for scripts
	outputJSONL outputFormat = "jsonl" // one JSON object per line, for streams
	outputCurl  outputFormat = "curl"  // --dry-run only: a curl command
)

// registerOutput adds --output; usage says what each format prints.
func registerOutput(fs *pflag.FlagSet, output *string, usage string) {
	fs.StringVar(output, "output", string(outputText), usage)
	setArg(fs, "output", "FORMAT")
}

// parseOutputOf reads --output among the formats a command offers.
func parseOutputOf(text string, allowed ...outputFormat) (outputFormat, error) {
	f := outputFormat(strings.ToLower(strings.TrimSpace(text)))
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	last := len(names) - 1
	return "", &usageError{msg: fmt.Sprintf("--output %q: use %s or %s", text, strings.Join(names[:last], ", "), names[last])}
}

// parseOutput reads create's --output: text, json, or curl with --dry-run.
func parseOutput(text string, dryRun bool) (outputFormat, error) {
	f, err := parseOutputOf(text, outputText, outputJSON, outputCurl)
	if f == outputCurl && !dryRun {
		return "", &usageError{msg: "--output curl only goes with --dry-run (it prints the request instead of sending it)"}
	}
	return f, err
}

// writeJSON prints v as indented JSON, through termtext.JSON: encoding/json
// escapes the C0 controls and invalid UTF-8 but writes DEL, C1 controls and
// bidi overrides as they are.
//
// It is laid out by model.IndentJSON, one level deeper than a request body
// is (--dry-run --output json holds the body under "body"): deeper custom
// settings stay on one line, so the output is a fixed multiple of the
// body's size, as in the other formats.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := model.IndentJSON(bytes.TrimRight(b.Bytes(), "\n"), model.IndentedLevels+1)
	_, err := io.WriteString(w, termtext.JSON(string(out)+"\n"))
	return err
}

// writeJSONLine writes v as one line of JSON, safe for a terminal.
func writeJSONLine(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, termtext.JSON(string(data))+"\n")
	return err
}

// jsonLine is v as compact JSON, safe for a terminal.
func jsonLine(v any) (string, error) {
	var b strings.Builder
	if err := writeJSONLine(&b, v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// jsonArray writes a JSON array an element at a time, so a listing as long
// as the API's or a log's is never held whole: "[", the elements one
// compact object to a line, "]"; "[]" when there was none. Every streamed
// array (audit, history, consumers, logs, health's attention) has this one
// shape, so a script reads them all alike, line by line or whole.
type jsonArray struct {
	w io.Writer
	// head is written before the "[" (health's array is a member of an
	// object); indent before each element, and the "]" stands one level
	// (two spaces) less deep.
	head, indent string
	n            int
}

// newJSONArray is an array that is the whole output.
func newJSONArray(w io.Writer) *jsonArray { return &jsonArray{w: w, indent: "  "} }

// add writes v as one compact element, safe for a terminal.
func (j *jsonArray) add(v any) error {
	elem, err := jsonLine(v)
	if err != nil {
		return err
	}
	sep := ",\n" + j.indent
	if j.n == 0 {
		sep = j.head + "[\n" + j.indent
	}
	j.n++
	_, err = io.WriteString(j.w, sep+elem)
	return err
}

// end closes the array; tail follows it.
func (j *jsonArray) end(tail string) error {
	text := j.head + "[]" + tail
	if j.n > 0 {
		text = "\n" + strings.TrimPrefix(j.indent, "  ") + "]" + tail
	}
	_, err := io.WriteString(j.w, text)
	return err
}
