// A tiny observable value: `store.set(next)` notifies subscribers with the new value.

export class Store {
  constructor(value) {
    this.value = value;
    this.listeners = new Set();
  }

  get() {
    return this.value;
  }

  set(value) {
    this.value = value;
    for (const listener of this.listeners) listener(value);
  }

  update(change) {
    this.set(change(this.value));
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
