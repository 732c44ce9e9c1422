package dev.scoresde.serve.runtime.redis;

/** The store's key names under one prefix (see {@link RedisScripts}). */
record RedisKeys(String prefix) {

  String job(String id) {
    return prefix + "job:" + id;
  }

  String result(String id) {
    return prefix + "result:" + id;
  }

  String owner(String owner) {
    return prefix + "owner:" + owner;
  }

  String queue() {
    return prefix + "queue";
  }

  String leases() {
    return prefix + "leases";
  }

  String table() {
    return prefix + "table";
  }
}
