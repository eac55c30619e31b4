/**
 * A worker's server sets for the named topologies, each started the first time a test asks
 * for it (no cost to a worker that never runs one) and all closed together at the end.
 */
import { startServers, type RunningServers, type StartOptions } from '../start.js';
import type { TopologyName } from './topologies.js';

export class ServersPerTopology {
  private readonly started = new Map<TopologyName, Promise<RunningServers>>();

  constructor(private readonly options: Omit<StartOptions, 'topology' | 'ports'> = {}) {}

  get(topology: TopologyName): Promise<RunningServers> {
    let servers = this.started.get(topology);
    if (servers === undefined) {
      servers = startServers({ ...this.options, topology });
      this.started.set(topology, servers);
      // A failed start is not kept: the next test tries again and reports its own error.
      servers.catch(() => this.started.delete(topology));
    }
    return servers;
  }

  async close(): Promise<void> {
    const all = [...this.started.values()];
    this.started.clear();
    await Promise.all(all.map((s) => s.then((servers) => servers.close(), () => undefined)));
  }
}
