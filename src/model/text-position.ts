/**
 * Offsets to line and column, for every reader that reports where in a file something is: the offsets of
 * line starts are found once, then each position is a binary search rather than a scan from the top.
 */

/** The offset at which each line of `text` starts (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) starts.push(i + 1)
  return starts
}

/** The 1-based line and column of `offset`, given the text's `lineStarts`. */
export function lineColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= offset) low = mid
    else high = mid - 1
  }
  return { line: low + 1, column: offset - starts[low]! + 1 }
}
