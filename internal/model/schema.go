package model

import (
	"bytes"
	_ "embed"
)

// SchemaID is the $id of the JSON Schema of format version 1.
const SchemaID = "https://ward.dev/schema/ward-1.json"

//go:embed schema/ward.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the model format, as
// indented JSON. Editors use it for completion and inline checks. It covers
// structure, types and vocabularies, and Validate adds the checks a schema
// cannot express, such as unique IDs, resolved references and defined protocols.
// The caller owns the returned slice.
func Schema() []byte { return bytes.Clone(schemaJSON) }
