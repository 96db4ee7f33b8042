package mock

import (
	"encoding/json"
	"net/http"
	"strings"
)

// errorBody is the one shape every error answer of the spec shares.
type errorBody struct {
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
	TypeName   string `json:"type_name"`
	Message    string `json:"message"`
	Detail     any    `json:"detail,omitempty"`
	Ref        string `json:"ref"`
}

func newErrorBody(status int, typeName, message string, detail any) errorBody {
	return errorBody{
		StatusCode: status,
		Error:      http.StatusText(status),
		TypeName:   typeName,
		Message:    message,
		Detail:     detail,
		Ref:        "https://developers.apideck.com/errors#" + strings.ToLower(typeName),
	}
}

// ErrorBody returns the body the mock sends for a scripted failure with no
// body of its own. For 400, 401, 402, 404 and 422 it is the spec's example
// for that status; for the others the spec only gives the shape, so the
// type and message are plausible rather than known.
func ErrorBody(status int) []byte {
	var b errorBody
	switch status {
	case http.StatusBadRequest:
		b = newErrorBody(status, "RequestValidationError", "Invalid Params", "Missing property foobar")
	case http.StatusUnauthorized:
		b = unauthorized("Missing authentication")
	case http.StatusPaymentRequired:
		b = newErrorBody(status, "RequestLimitError", "Request Limit Reached", "You have reached your limit of 2000")
	case http.StatusNotFound:
		b = newErrorBody(status, "EntityNotFoundError", "Unknown Widget", "Could not find widget with id: '123'")
	case http.StatusUnprocessableEntity:
		b = newErrorBody(status, "InvalidStateError", "Invalid State", map[string]any{
			"error":   "Unprocessable",
			"message": "Unprocessable request, please verify your request headers and body.",
		})
	case http.StatusTooManyRequests:
		b = newErrorBody(status, "TooManyRequestsError", "Too Many Requests", "Rate limit exceeded, retry later")
	default:
		text := http.StatusText(status)
		if text == "" {
			text = "Error"
		}
		b = newErrorBody(status, strings.ReplaceAll(text, " ", "")+"Error", text, "The demo API was told to fail this request")
		if status == http.StatusInternalServerError {
			b.TypeName, b.Ref = "UnexpectedError", "https://developers.apideck.com/errors#unexpectederror"
		}
	}
	return b.marshal()
}

func unauthorized(detail string) errorBody {
	return newErrorBody(http.StatusUnauthorized, "UnauthorizedError", "Unauthorized Request", detail)
}

func (b errorBody) marshal() []byte {
	data, err := json.Marshal(b)
	if err != nil {
		// Only a detail that cannot be encoded gets here; keep the rest.
		b.Detail = nil
		data, _ = json.Marshal(b)
	}
	return data
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, b errorBody) {
	writeJSON(w, b.StatusCode, b.marshal())
}
