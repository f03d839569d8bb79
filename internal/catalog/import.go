package catalog

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Import reads a catalog file in any format Ward imports, recognized by its
// first bytes. A STIX 2.1 bundle (JSON) goes to ImportSTIX and MITRE's CWE
// list (XML) to ImportCWE. A zip archive, the form MITRE distributes the CWE
// list in, must contain one .xml or .json file, which is imported. name is
// the file name used in messages and recorded as Source.
func Import(r io.Reader, name string) (*Catalog, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(64)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	switch format(head) {
	case formatJSON:
		return ImportSTIX(br, name)
	case formatXML:
		return ImportCWE(br, name)
	case formatZip:
		return importZip(br, name)
	case formatEmpty:
		return nil, fmt.Errorf("%s is empty; import a STIX 2.1 bundle (.json) or MITRE's CWE list (.xml or .xml.zip)", name)
	}
	return nil, fmt.Errorf("%s is neither a STIX 2.1 bundle (JSON), a CWE list (XML) nor a zip of one; check that the download completed and import the catalog file itself", name)
}

type fileFormat int

const (
	formatUnknown fileFormat = iota
	formatEmpty
	formatJSON
	formatXML
	formatZip
)

// format recognizes a catalog file by its first bytes: a zip signature
// (a local file header, or the end record that opens an empty archive), or
// the first character after a UTF-8 byte order mark and white space.
func format(head []byte) fileFormat {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return formatZip
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return formatEmpty
	case head[0] == '{':
		return formatJSON
	case head[0] == '<':
		return formatXML
	}
	return formatUnknown
}

// importZip imports the one catalog file inside a zip archive. The archive
// is read into memory because package zip needs random access, up to the
// CWE size limit. The importer applies its own limit to the file inside as
// it is decompressed, whatever size the archive declares.
func importZip(r io.Reader, name string) (*Catalog, error) {
	data, err := io.ReadAll(io.LimitReader(r, cweSizeLimit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > cweSizeLimit {
		return nil, fmt.Errorf("%s is larger than %d bytes, the limit for a catalog archive", name, cweSizeLimit)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s is not a readable zip archive (%v); download it again", name, err)
	}

	var candidates []*zip.File
	var others []string
	for _, f := range zr.File {
		base := path.Base(f.Name)
		switch {
		case f.FileInfo().IsDir(), strings.HasPrefix(f.Name, "__MACOSX/"), strings.HasPrefix(base, "."):
			continue
		case strings.HasSuffix(strings.ToLower(base), ".xml"), strings.HasSuffix(strings.ToLower(base), ".json"):
			candidates = append(candidates, f)
		default:
			others = append(others, f.Name)
		}
	}
	switch len(candidates) {
	case 0:
		if len(others) == 0 {
			return nil, fmt.Errorf("%s is an empty zip archive; MITRE's CWE archive contains one cwec_vX.Y.xml", name)
		}
		return nil, fmt.Errorf("%s contains no .xml or .json file (only %s); MITRE's CWE archive contains one cwec_vX.Y.xml", name, shortList(others))
	case 1:
	default:
		var names []string
		for _, f := range candidates {
			names = append(names, f.Name)
		}
		return nil, fmt.Errorf("%s contains %d catalog files (%s); extract the one you mean and import it", name, len(names), strings.Join(names, ", "))
	}

	f := candidates[0]
	inner := name + "/" + f.Name
	if f.UncompressedSize64 > uint64(cweSizeLimit) {
		return nil, fmt.Errorf("%s is %d bytes unpacked, more than the limit of %d bytes for a catalog", inner, f.UncompressedSize64, cweSizeLimit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w; extract it with another tool and import the file", inner, err)
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	head, err := br.Peek(64)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s: %w", inner, err)
	}
	switch format(head) {
	case formatJSON:
		return ImportSTIX(br, inner)
	case formatXML:
		return ImportCWE(br, inner)
	}
	return nil, fmt.Errorf("%s is neither a STIX 2.1 bundle (JSON) nor a CWE list (XML)", inner)
}

// shortList joins up to five names and counts the rest.
func shortList(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
