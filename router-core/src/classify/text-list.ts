/**
 * A request's texts in order, each with the weight its cues count at and whether it is the ask
 * (the last user turn). One list serves every request: reading is synchronous, so it is filled,
 * read and released within one `classify`, and nothing is allocated per text.
 */
export class TextList {
  size = 0;
  readonly texts: string[] = [];
  weights = new Float64Array(64);
  asks = new Uint8Array(64);

  add(text: string, weight: number, ask: boolean): void {
    const at = this.size;
    if (at === this.weights.length) this.grow();
    if (at < this.texts.length) this.texts[at] = text;
    else this.texts.push(text);
    this.weights[at] = weight;
    this.asks[at] = ask ? 1 : 0;
    this.size = at + 1;
  }

  /** Empties the list, and lets go of the request's strings. */
  release(): void {
    this.texts.fill('', 0, this.size);
    this.size = 0;
  }

  private grow(): void {
    const weights = new Float64Array(2 * this.weights.length);
    weights.set(this.weights);
    this.weights = weights;
    const asks = new Uint8Array(2 * this.asks.length);
    asks.set(this.asks);
    this.asks = asks;
  }
}
