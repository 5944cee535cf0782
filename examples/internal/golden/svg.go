package golden

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// An Element is an SVG element as ReadSVG reads it: its name, its
// attributes, its text and the id of the nearest enclosing element that
// has one ("" if none).
type Element struct {
	Name, Parent, Text string
	Attr               map[string]string
}

// Num returns the attribute name as a number, and fails the test if it is
// not one.
func (e *Element) Num(t testing.TB, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.Attr[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", e.Name, name, e.Attr[name], err)
	}
	return v
}

// An SVG is a document as ReadSVG reads it: its elements in document
// order, indexed for the checks.
type SVG struct {
	Elements []*Element
	ByID     map[string]*Element   // the elements that have an id
	In       map[string][]*Element // the elements by Parent, in order
	Text     string                // the text of every text, title and desc element, one a line
}

// Need fails the test unless the document has an element of each id.
func (s *SVG) Need(t *testing.T, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if s.ByID[id] == nil {
			t.Fatalf("the SVG has no element %q", id)
		}
	}
}

// ReadSVG parses an SVG document. It fails the test if the document is
// not well-formed XML, and reports an error if its root is not an svg
// element in the SVG namespace.
func ReadSVG(t *testing.T, data []byte) *SVG {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var els, stack []*Element
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &Element{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if id := stack[i].Attr["id"]; id != "" {
					e.Parent = id
					break
				}
			}
			if len(stack) == 0 && (e.Name != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg") {
				t.Errorf("root element %s %q, want svg in the SVG namespace", e.Name, tok.Name.Space)
			}
			els = append(els, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	svg := &SVG{Elements: els, ByID: map[string]*Element{}, In: map[string][]*Element{}}
	var texts []string
	for _, e := range els {
		if id := e.Attr["id"]; id != "" {
			svg.ByID[id] = e
		}
		svg.In[e.Parent] = append(svg.In[e.Parent], e)
		if e.Name == "text" || e.Name == "title" || e.Name == "desc" {
			texts = append(texts, e.Text)
		}
	}
	svg.Text = strings.Join(texts, "\n")
	return svg
}

// An Axis maps a value v to a pixel coordinate A + B*v.
type Axis struct{ A, B float64 }

// Value returns the value at the pixel coordinate px.
func (ax Axis) Value(px float64) float64 { return (px - ax.A) / ax.B }

// FitAxis reads an axis from its grid lines (their coordinate attribute
// at, "x1" or "y1") and their labels, in the same order. Each label's
// value is the number before its unit suffix divided by scale: with "%"
// and 100, "+5%" is 0.05; with "x" and 1, "25x" is 25. The first and the
// last line determine the axis (two lines are enough: a panel whose values
// never move has no more); the lines between only check it. It fails the
// test if there are fewer than 2 lines, not one label per line, or a label
// without the suffix, or if the first and the last label give the axis no
// scale (equal values, or lines at one coordinate), and reports an error
// for every label that lies more than 0.11 px off the line through the
// first and the last.
func FitAxis(t testing.TB, o *Oracle, lines, labels []*Element, at, suffix string, scale float64) Axis {
	t.Helper()
	if len(lines) < 2 || len(lines) != len(labels) {
		t.Fatalf("%d grid lines and %d labels on the %s axis", len(lines), len(labels), at[:1])
	}
	v := func(i int) float64 {
		text, ok := strings.CutSuffix(labels[i].Text, suffix)
		if !ok {
			t.Fatalf("label %q has no unit %q", labels[i].Text, suffix)
		}
		f, _ := o.Number(text).Float64()
		return f / scale
	}
	n := len(lines) - 1
	b := (lines[n].Num(t, at) - lines[0].Num(t, at)) / (v(n) - v(0))
	if b == 0 || math.IsNaN(b) || math.IsInf(b, 0) {
		t.Fatalf("the %s axis's labels %s to %s on lines %g to %g give it no scale", at[:1], labels[0].Text, labels[n].Text, lines[0].Num(t, at), lines[n].Num(t, at))
	}
	ax := Axis{A: lines[0].Num(t, at) - b*v(0), B: b}
	for i := range lines {
		if d := math.Abs(ax.A + ax.B*v(i) - lines[i].Num(t, at)); !(d <= 0.11) {
			t.Errorf("%s label %s is %.2f px off its grid line", at[:1], labels[i].Text, d)
		}
	}
	return ax
}

// Vertices reads the points of a path drawn with absolute M and L
// commands ("M10 20 L30 40 ...") back through the axes: each is its x
// value and its y value. It fails the test if an M or L is not followed
// by two numbers.
func Vertices(t *testing.T, path *Element, x, y Axis) [][2]float64 {
	t.Helper()
	var vs [][2]float64
	for _, v := range strings.Split(strings.NewReplacer("M", ";", "L", ";").Replace(path.Attr["d"]), ";")[1:] {
		var px, py float64
		if _, err := fmt.Sscanf(v, "%g %g", &px, &py); err != nil {
			t.Fatalf("path %s: %q: %v", path.Attr["id"], v, err)
		}
		vs = append(vs, [2]float64{x.Value(px), y.Value(py)})
	}
	return vs
}
