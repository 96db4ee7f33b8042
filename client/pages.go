package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"
)

// MaxPageSize is the largest page the API gives (the spec's limit
// parameter: minimum 1, maximum 200, default 20).
const MaxPageSize = 200

// Page is one page of a list: its items and the cursor of the next page.
type Page[T any] struct {
	Items []T
	// Next is the cursor of the next page (meta.cursors.next); "" on the
	// last page.
	Next string
	// Total is meta.total_count, or -1 when the answer does not give it.
	Total int
}

// pageEnvelope is the part of a list answer that pages read: data, and
// meta's next cursor and total. Each part is read on its own, so a meta of
// an unexpected shape costs the cursor, not the page.
type pageEnvelope struct {
	Data []json.RawMessage `json:"data"`
	Meta json.RawMessage   `json:"meta"`
}

// decodePage reads a list answer: data must be a list (else ok is false);
// item decodes one element and says whether to keep it.
func decodePage[T any](body []byte, item func(json.RawMessage) (T, bool)) (Page[T], bool) {
	var env pageEnvelope
	if json.Unmarshal(body, &env) != nil || env.Data == nil {
		return Page[T]{}, false
	}
	page := Page[T]{Items: make([]T, 0, len(env.Data)), Total: -1}
	for _, raw := range env.Data {
		if v, keep := item(raw); keep {
			page.Items = append(page.Items, v)
		}
	}
	var meta struct {
		Cursors    map[string]json.RawMessage `json:"cursors"`
		TotalCount json.RawMessage            `json:"total_count"`
	}
	if json.Unmarshal(env.Meta, &meta) == nil {
		page.Next = jsonString(meta.Cursors["next"])
		var total int
		if json.Unmarshal(meta.TotalCount, &total) == nil && total >= 0 {
			page.Total = total
		}
	}
	return page, true
}

// pageQuery adds cursor and limit to q as the spec names them.
func pageQuery(q url.Values, cursor string, limit int) url.Values {
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(min(limit, MaxPageSize)))
	}
	return q
}

// pages walks a list page by page, fetching the next only when the loop
// asks for it: however long the list, one page is held at a time. It
// stops after the last page, at the first error (yielded), when the loop
// breaks, or when the API hands out a cursor it gave before (an
// *InvalidResponseError of op: following it would never end; a page whose
// next cursor is its own is not yielded, being the one before again).
func pages[T any](ctx context.Context, op string, fetch func(ctx context.Context, cursor string) (Page[T], error)) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		seen := map[string]bool{}
		cursor := ""
		for {
			page, err := fetch(ctx, cursor)
			if err != nil {
				yield(Page[T]{}, err)
				return
			}
			next := page.Next
			again := &InvalidResponseError{Operation: op, StatusCode: 200, Problem: "the API gave a cursor it had given before; stopping rather than reading the same pages forever"}
			if cursor != "" && next == cursor {
				// The page after this one is this one, read already (a
				// static mock answers every page with the same example).
				yield(Page[T]{}, again)
				return
			}
			if !yield(page, nil) || next == "" {
				return
			}
			if seen[next] {
				yield(Page[T]{}, again)
				return
			}
			seen[next] = true
			if ctx.Err() != nil {
				yield(Page[T]{}, ctx.Err())
				return
			}
			cursor = next
		}
	}
}
