/**
 * A one-consumer async queue: the producer pushes values and closes it; the consumer iterates.
 * Leaving the iteration early calls `onReturn` (used to stop the producer). Calls of `next` that
 * overlap (or two iterators) are answered in the order they were made, each with its own value,
 * and all settle when the channel closes. Never throws.
 */
export interface Channel<A> {
  push(a: A): void;
  close(): void;
  readonly iterable: AsyncIterable<A>;
}

/** Creates a channel; `buffer: false` drops values when nobody is iterating (runTurn). */
export const createChannel = <A>(onReturn: () => void, buffer = true): Channel<A> => {
  // A queue read from `head`: taking a value is O(1) (Array.shift moves every value left);
  // the consumed prefix is dropped once it is half the array.
  let queue: (A | undefined)[] = [];
  let head = 0;
  const take = (): A | undefined => {
    if (head >= queue.length) return undefined;
    const a = queue[head];
    queue[head++] = undefined; // let the value go
    if (head >= 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return a;
  };
  let closed = false;
  // The pending `next` calls, oldest first (one, unless the consumer overlaps its calls).
  const waiting: ((r: IteratorResult<A>) => void)[] = [];
  let iterating = false;
  const push = (a: A) => {
    if (closed) return;
    const w = waiting.shift();
    if (w !== undefined) w({ value: a, done: false });
    else if (buffer || iterating) queue.push(a);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const w of waiting.splice(0)) w({ value: undefined, done: true });
  };
  const iterable: AsyncIterable<A> = {
    [Symbol.asyncIterator]: () => {
      iterating = true;
      return {
        next: () => {
          const a = take();
          if (a !== undefined) return Promise.resolve({ value: a, done: false });
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise<IteratorResult<A>>((resolve) => {
            waiting.push(resolve);
          });
        },
        return: () => {
          if (!closed) onReturn();
          close();
          queue = [];
          head = 0;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
  return { push, close, iterable };
};
