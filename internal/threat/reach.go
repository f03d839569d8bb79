package threat

import (
	"slices"

	"github.com/wardtm/ward/internal/model"
)

// flowEnd is a flow seen from the element it reaches: its destination, or
// either end of a bidirectional flow.
type flowEnd struct {
	flow *model.Flow
	to   string
}

// reachOf returns the attack vector from which data arriving over a flow at
// an element can come: the flow's own vector, or a more exposed one when
// the sending process or store passes on data that reached it over another
// flow. So the therapy commands that a radio chip receives over BLE and
// forwards to the main processor over a UART reach that processor from
// radio range, although the UART itself needs hands on the board.
//
// Data passes through an element when the flow in and the flow out name a
// data item in common and the flow out is a local or physical link, such
// as IPC or a board bus inside one device. A radio or network link to
// another device keeps its own vector, because data from further away must
// first get through the sending device's own logic, and that is a threat
// against the sender. Entities pass nothing on, because their inputs are
// outside the model.
//
// NOTE: data is passed on only in a flow's written direction. A
// bidirectional flow lists the data of both directions together, so
// following it backwards would send firmware that a bootloader reads from
// flash on to the factory station that programs it over SWD.
func (ix *index) reachOf(fl *model.Flow, to string) string {
	if ix.reach == nil {
		ix.computeReach()
	}
	return ix.reach[flowEnd{fl, to}]
}

// computeReach fills ix.reach. Every flow end starts at its flow's vector.
// A worklist then raises the internal links leaving each process or store
// to the vector of the ends reaching it with data in common, until nothing
// changes. Each end can only become more exposed, and at most three
// times, so the walk ends on cyclic models too and its result does not
// depend on the order of the model.
func (ix *index) computeReach() {
	ix.reach = make(map[flowEnd]string, len(ix.m.Flows))
	var work []flowEnd
	for i := range ix.m.Flows {
		fl := &ix.m.Flows[i]
		v := ix.vectorOf(ix.flowTargets[fl])
		for _, to := range flowReceivers(fl) {
			end := flowEnd{fl, to}
			ix.reach[end] = v
			work = append(work, end)
		}
	}

	for len(work) > 0 {
		in := work[len(work)-1]
		work = work[:len(work)-1]
		relay := ix.elements[in.to]
		if relay == nil || relay.Kind == "entity" {
			continue
		}
		v := ix.reach[in]
		for _, out := range ix.flowsOut[in.to] {
			if out.From != in.to || out == in.flow || !sharesData(in.flow, out) || !isInternalLink(ix.vectorOf(ix.flowTargets[out])) {
				continue
			}
			end := flowEnd{out, out.To}
			if old := ix.reach[end]; moreExposed(old, v) != old {
				ix.reach[end] = v
				work = append(work, end)
			}
		}
	}
}

// flowReceivers returns the IDs of the elements a flow delivers data to.
func flowReceivers(fl *model.Flow) []string {
	if fl.Bidirectional && fl.From != fl.To {
		return []string{fl.To, fl.From}
	}
	return []string{fl.To}
}

// otherEnd returns the end of a flow that is not id.
func otherEnd(fl *model.Flow, id string) string {
	if fl.From == id {
		return fl.To
	}
	return fl.From
}

func sharesData(a, b *model.Flow) bool {
	for _, d := range a.Data {
		if slices.Contains(b.Data, d) {
			return true
		}
	}
	return false
}

// isInternalLink reports whether a flow with the given vector stays inside
// one device or host.
func isInternalLink(vector string) bool {
	return vector == VectorLocal || vector == VectorPhysical
}
