package dectest

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// Share checks a promise that values only read may be shared by goroutines:
// each call, made once alone for its result, is then made by 8 goroutines
// rounds times each, all at once, and must give that result every time
// (the packages' tests pass 200 rounds, fewer where the calls are slow). The calls must share the values under test
// (the context, the specs, the tables) and have their own results; the
// check means most under -race, which reports a read path that writes to a
// shared value.
func Share(t *testing.T, rounds int, calls ...func() string) {
	t.Helper()
	want := make([]string, len(calls))
	for i, f := range calls {
		want[i] = f()
	}
	const goroutines = 8
	var wg sync.WaitGroup
	bad := make(chan string, goroutines)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				for i, f := range calls {
					if got := f(); got != want[i] {
						bad <- "call " + strconv.Itoa(i) + ": got " + got + ", alone " + want[i]
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(bad)
	for s := range bad {
		t.Error(s)
	}
}

// Fields writes out v, such as a struct or a pointer to one, for
// [Share]'s calls to return: each exported field as name:value, decimals
// by their text (not by apd's internals, which hold pointers), nested
// structs in braces and slices in brackets.
func Fields(v any) string {
	var b strings.Builder
	fields(&b, reflect.ValueOf(v))
	return b.String()
}

var decimalType = reflect.TypeFor[apd.Decimal]()

func fields(b *strings.Builder, v reflect.Value) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		b.WriteString("nil")
		return
	}
	if !v.CanAddr() {
		p := reflect.New(v.Type()).Elem()
		p.Set(v)
		v = p
	}
	switch {
	case v.Type() == decimalType:
		d := v.Addr().Interface().(*apd.Decimal)
		b.WriteString(d.String())
	case v.Kind() == reflect.Struct:
		b.WriteString("{")
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			b.WriteString(" " + v.Type().Field(i).Name + ":")
			fields(b, v.Field(i))
		}
		b.WriteString(" }")
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		b.WriteString("[")
		for i := range v.Len() {
			b.WriteString(" ")
			fields(b, v.Index(i))
		}
		b.WriteString(" ]")
	default:
		fmt.Fprint(b, v.Interface())
	}
}
