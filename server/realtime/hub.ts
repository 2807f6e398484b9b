// Who is listening to what. One process keeps the topics in memory; several processes would put a
// broker's pub/sub behind this same interface (DESIGN.md §5).
import type { Lang } from '../../db/schema';

export type LiveClient = {
  userId: number;
  sessionId: string;
  lang: Lang;
  topics: Set<string>;
  /** A text frame: a Buffer holds its UTF-8 bytes (encoded once for many sockets). */
  send(data: string | Buffer): void;
  close(code: number, reason: string): void;
};

export interface Hub {
  join(client: LiveClient, topic: string): void;
  leave(client: LiveClient): void;
  members(topic: string): LiveClient[];
  size(): number;
}

export class MemoryHub implements Hub {
  private topics = new Map<string, Set<LiveClient>>();
  private clients = new Set<LiveClient>();

  join(client: LiveClient, topic: string): void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(client);
    client.topics.add(topic);
    this.clients.add(client);
  }

  leave(client: LiveClient): void {
    for (const topic of client.topics) {
      const set = this.topics.get(topic);
      set?.delete(client);
      if (set && set.size === 0) this.topics.delete(topic);
    }
    client.topics.clear();
    this.clients.delete(client);
  }

  members(topic: string): LiveClient[] {
    return [...(this.topics.get(topic) ?? [])];
  }

  size(): number {
    return this.clients.size;
  }
}
