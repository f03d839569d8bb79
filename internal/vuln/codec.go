package vuln

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// The index stores each record in a compact binary form instead of JSON,
// because encoding and decoding JSON was most of the CPU time of building
// and reading an index. Every string and list is a uvarint length followed
// by its content, and every time is a zero flag followed by Unix seconds
// (zigzag varint) and nanoseconds (uvarint). Times come back in UTC. The
// layout follows the Record fields in order, so indexVersion must change
// with any change to Record or to this file.

// errDamaged is returned by decodeRecord for bytes that are not a record
// written by appendRecord.
var errDamaged = errors.New("damaged record")

// appendRecord appends the binary form of r to b.
func appendRecord(b []byte, r *Record) []byte {
	b = appendString(b, r.ID)
	b = appendTime(b, r.Modified)
	b = appendTime(b, r.Published)
	b = appendTime(b, r.Withdrawn)
	b = appendStrings(b, r.Aliases)
	b = appendString(b, r.Summary)
	b = appendString(b, r.Details)
	b = appendSeverities(b, r.Severity)

	b = binary.AppendUvarint(b, uint64(len(r.Affected)))
	for i := range r.Affected {
		a := &r.Affected[i]
		if a.Package == nil {
			b = append(b, 0)
		} else {
			b = append(b, 1)
			b = appendString(b, a.Package.Ecosystem)
			b = appendString(b, a.Package.Name)
			b = appendString(b, a.Package.Purl)
		}
		b = appendSeverities(b, a.Severity)
		b = binary.AppendUvarint(b, uint64(len(a.Ranges)))
		for _, rg := range a.Ranges {
			b = appendString(b, rg.Type)
			b = appendString(b, rg.Repo)
			b = binary.AppendUvarint(b, uint64(len(rg.Events)))
			for _, e := range rg.Events {
				b = appendString(b, e.Introduced)
				b = appendString(b, e.Fixed)
				b = appendString(b, e.LastAffected)
				b = appendString(b, e.Limit)
			}
		}
		b = appendStrings(b, a.Versions)
	}

	if r.DatabaseSpecific == nil {
		return append(b, 0)
	}
	b = append(b, 1)
	return appendString(b, r.DatabaseSpecific.Severity)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, list []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(list)))
	for _, s := range list {
		b = appendString(b, s)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendSeverities(b []byte, list []Severity) []byte {
	b = binary.AppendUvarint(b, uint64(len(list)))
	for _, s := range list {
		b = appendString(b, s.Type)
		b = appendString(b, s.Score)
	}
	return b
}

// decoder reads the binary form. The first error sticks: later reads
// return zero values, and err reports it once at the end.
type decoder struct {
	b   []byte
	err error
}

// decodeRecord decodes the binary form written by appendRecord. It
// returns errDamaged for truncated, oversized or trailing bytes, and never
// allocates more than a small multiple of len(b).
func decodeRecord(b []byte) (*Record, error) {
	d := &decoder{b: b}
	r := &Record{
		ID:        d.string(),
		Modified:  d.time(),
		Published: d.time(),
		Withdrawn: d.time(),
		Aliases:   d.strings(),
		Summary:   d.string(),
		Details:   d.string(),
		Severity:  d.severities(),
	}

	if n := d.count(); n > 0 {
		r.Affected = make([]Affected, n)
	}
	for i := range r.Affected {
		a := &r.Affected[i]
		if d.flag() {
			a.Package = &Package{Ecosystem: d.string(), Name: d.string(), Purl: d.string()}
		}
		a.Severity = d.severities()
		if n := d.count(); n > 0 {
			a.Ranges = make([]Range, n)
		}
		for j := range a.Ranges {
			rg := &a.Ranges[j]
			rg.Type, rg.Repo = d.string(), d.string()
			if n := d.count(); n > 0 {
				rg.Events = make([]Event, n)
			}
			for k := range rg.Events {
				rg.Events[k] = Event{Introduced: d.string(), Fixed: d.string(), LastAffected: d.string(), Limit: d.string()}
			}
		}
		a.Versions = d.strings()
	}

	if d.flag() {
		r.DatabaseSpecific = &DatabaseSpecific{Severity: d.string()}
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = errDamaged
	}
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errDamaged
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a list length. Every list element takes at least one byte,
// so a length above the bytes left is damage, which bounds allocation.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errDamaged
		return 0
	}
	return int(n)
}

func (d *decoder) flag() bool {
	if d.err != nil {
		return false
	}
	if len(d.b) == 0 || d.b[0] > 1 {
		d.err = errDamaged
		return false
	}
	set := d.b[0] == 1
	d.b = d.b[1:]
	return set
}

func (d *decoder) string() string {
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) strings() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	list := make([]string, n)
	for i := range list {
		list[i] = d.string()
	}
	return list
}

func (d *decoder) time() time.Time {
	if !d.flag() {
		return time.Time{}
	}
	sec, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errDamaged
		return time.Time{}
	}
	d.b = d.b[n:]
	nsec := d.uvarint()
	if nsec >= 1e9 || sec < math.MinInt64/2 || sec > math.MaxInt64/2 {
		d.err = errDamaged
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (d *decoder) severities() []Severity {
	n := d.count()
	if n == 0 {
		return nil
	}
	list := make([]Severity, n)
	for i := range list {
		list[i] = Severity{Type: d.string(), Score: d.string()}
	}
	return list
}
