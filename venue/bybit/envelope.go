package bybit

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// An APIError reports a response whose retCode is not 0: Bybit refused
// the request, and the response holds no data.
type APIError struct {
	Code int64
	Msg  string
}

func (e *APIError) Error() string {
	return "bybit: retCode " + strconv.FormatInt(e.Code, 10) + ": " + e.Msg
}

// result reads Bybit's envelope {"retCode":0,"retMsg":"OK","result":{...}}
// and returns result.category and the unparsed rows of result.list. With
// ws, it also accepts a websocket message {"topic":...,"data":[...]}, whose
// rows carry their own category.
func result(data []byte, ws bool) (category string, rows []json.RawMessage, err error) {
	o := object.New(json.RawMessage(data), venue.Row{})
	if !json.Valid(data) {
		var v json.RawMessage
		return "", nil, json.Unmarshal(data, &v)
	}
	if ws && o.Has("data") && !o.Has("retCode") {
		rows = o.RawArray("data", object.Required)
		return "", rows, o.Err()
	}
	code, _ := o.Int("retCode", object.Required)
	msg := o.String("retMsg", object.Optional)
	if err := o.Err(); err != nil {
		return "", nil, err
	}
	if code != 0 {
		return "", nil, &APIError{Code: code, Msg: msg}
	}
	r := o.Object("result", object.Required)
	category = r.String("category", object.Optional)
	rows = r.RawArray("list", object.Required)
	return category, rows, o.Err()
}

// wrap prefixes err with the payload's name.
func wrap(what string, err error) error {
	return fmt.Errorf("bybit: %s: %w", what, err)
}
