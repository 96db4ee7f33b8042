package client

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The support decoders read whatever a server sends without failing on a
// field of another type, and what they keep is stable: encoding a decoded
// page and decoding it again gives the same page. A decoder that drops or
// changes a value on the way round would show a script one thing and the
// table another.

// pageBody wraps items as a list answer with next and total.
func pageBody[T any](t *testing.T, page Page[T]) []byte {
	meta := map[string]any{"cursors": map[string]any{"next": page.Next}}
	if page.Total >= 0 {
		meta["total_count"] = page.Total
	}
	data, err := json.Marshal(map[string]any{"data": page.Items, "meta": meta})
	if err != nil {
		t.Fatalf("a decoded page does not encode: %v", err)
	}
	return data
}

func FuzzDecodeConsumerPage(f *testing.F) {
	f.Add([]byte(specConsumers))
	f.Add([]byte(`{"data":[{"consumer_id":"a","aggregated_request_count":1e300,"request_counts":{"unify":-1,"proxy":"9","vault":2.5}}],"meta":{"cursors":{"next":7},"total_count":-3}}`))
	f.Add([]byte(`{"data":[null,1,"x",{"services":[1,"",null,"s"],"metadata":[]}],"meta":null}`))
	f.Add([]byte(`{"data":[{"created":"9999-12-31T23:59:59.999Z","modified":253402300799999,"connections":[{"id":"+"}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, ok := DecodeConsumerPage(body)
		if !ok {
			return
		}
		again, ok := DecodeConsumerPage(pageBody(t, page))
		if !ok || !reflect.DeepEqual(again, page) {
			t.Fatalf("round trip changed the page:\n%+v\n%+v", page, again)
		}
	})
}

func FuzzDecodeConsumer(f *testing.F) {
	f.Add([]byte(specConsumer))
	f.Add([]byte(`{"data":{"consumer_id":"g","connections":[{"id":"accounting+quickbooks","health":"pending_refresh","credentials_expire_at":"2025-03-02T06:00:00Z","last_refresh_failed_at":1.5}]}}`))
	f.Add([]byte(`{"data":{"connections":{"a":1},"services":"x","request_counts":[1,2]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var env struct {
			Data *Consumer `json:"data"`
		}
		if json.Unmarshal(body, &env) != nil || env.Data == nil {
			return
		}
		data, err := json.Marshal(env.Data)
		if err != nil {
			t.Fatalf("a decoded consumer does not encode: %v", err)
		}
		var again Consumer
		if err := again.UnmarshalJSON(data); err != nil || !reflect.DeepEqual(again, *env.Data) {
			t.Fatalf("round trip changed the consumer (%v):\n%+v\n%+v", err, *env.Data, again)
		}
	})
}

func FuzzDecodeLogPage(f *testing.F) {
	f.Add([]byte(specLogs))
	f.Add([]byte(`{"data":[{"status_code":1e9,"success":"yes","service":"x","timestamp":"2021-07-12"},{"status_code":401.7}],"meta":{"cursors":"x"}}`))
	f.Add([]byte(`{"data":[{"http_method":"\u001b[2J","path":"/\u202e","error_message":"\xff"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		page, ok := DecodeLogPage(body)
		if !ok {
			return
		}
		for _, l := range page.Items {
			if l.StatusCode < 0 || l.StatusCode > 999 {
				t.Fatalf("status %d", l.StatusCode)
			}
		}
		again, ok := DecodeLogPage(pageBody(t, page))
		if !ok || !reflect.DeepEqual(again, page) {
			t.Fatalf("round trip changed the page:\n%+v\n%+v", page, again)
		}
	})
}

func FuzzDecodeConsumerStats(f *testing.F) {
	f.Add([]byte(specStats))
	f.Add([]byte(`{"data":{"aggregated_request_count":"40","request_counts":null,"start_datetime":0}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		stats, ok := DecodeConsumerStats(body)
		if !ok {
			return
		}
		data, err := json.Marshal(map[string]any{"data": stats})
		if err != nil {
			t.Fatal(err)
		}
		again, ok := DecodeConsumerStats(data)
		if !ok || !reflect.DeepEqual(again, stats) {
			t.Fatalf("round trip changed the stats:\n%+v\n%+v", stats, again)
		}
	})
}

func FuzzDecodeValidation(f *testing.F) {
	f.Add([]byte(`{"status_code":200,"status":"OK","data":{"id":"crm+salesforce","state":"authorized"}}`))
	f.Add([]byte(`{"data":{"id":5,"state":"melting"}}`))
	f.Add([]byte(`{"status_code":401,"detail":{"type":"refresh_token_connector_error","debug":{"credentials_expire_at_ms":1e400}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if v, ok := DecodeValidation(body); ok {
			data, _ := json.Marshal(map[string]any{"data": v})
			if again, _ := DecodeValidation(data); again != v {
				t.Fatalf("round trip changed %+v into %+v", v, again)
			}
		}
		// The same bodies as error answers: the detail never breaks RefreshFailure.
		ParseAPIError(401, body).RefreshFailure()
	})
}
