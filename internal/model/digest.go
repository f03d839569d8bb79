package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// DigestPrefix starts every digest Digest returns, naming the hash.
const DigestPrefix = "sha256:"

// Digest returns a digest of the model's meaning: "sha256:" and the
// hexadecimal SHA-256 of the model encoded as JSON. Source positions are not
// part of the encoding, struct fields have a fixed order and map keys are
// sorted, so reformatting the YAML, reordering keys, changing quoting or
// comments, or moving items into an included file leaves the digest as it
// was. Changing, adding or removing any value, or reordering a list,
// changes it.
//
// The reviews list and the include list are left out: recording a review
// must not make the model look changed since that review, and includes
// only say where the merged content was written.
func Digest(m *Model) string {
	c := *m
	c.Reviews = nil
	c.Include = nil

	b, err := canonicalJSON(&c)
	if err != nil {
		// Free-form attributes may hold NaN or infinite floats (a YAML
		// "!!float NaN"), which JSON cannot encode; write them as strings.
		c.Elements = slices.Clone(c.Elements)
		for i := range c.Elements {
			c.Elements[i].Attributes = finiteAttributes(c.Elements[i].Attributes)
		}
		c.Flows = slices.Clone(c.Flows)
		for i := range c.Flows {
			c.Flows[i].Attributes = finiteAttributes(c.Flows[i].Attributes)
		}
		c.Interfaces = slices.Clone(c.Interfaces)
		for i := range c.Interfaces {
			c.Interfaces[i].Attributes = finiteAttributes(c.Interfaces[i].Attributes)
		}
		if b, err = canonicalJSON(&c); err != nil {
			// Every other model field is a string, number, bool, list or
			// map with string keys; reaching this means a field of an
			// unsupported type was added to the model types.
			panic("model: encoding the model for its digest: " + err.Error())
		}
	}
	sum := sha256.Sum256(b)
	return DigestPrefix + hex.EncodeToString(sum[:])
}

func canonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// finiteAttributes returns a copy of attrs in which NaN and infinite
// floats are replaced by their string form.
func finiteAttributes(attrs map[string]any) map[string]any {
	if attrs == nil {
		return nil
	}
	return finite(attrs).(map[string]any)
}

func finite(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = finite(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = finite(e)
		}
		return out
	}
	return v
}
