# The native kernels (descent.c) as a Node-API addon; built by native/install.mjs, which never fails npm install.
{
  "targets": [
    {
      "target_name": "descent",
      "sources": ["descent.c"],
      "cflags": ["-O3", "-std=gnu11", "-ffp-contract=fast", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wno-unused-function"],
      "cflags!": ["-O2"],
      "libraries": ["-ldl", "-lpthread"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=fast", "-fno-math-errno", "-fno-trapping-math"] }
    }
  ]
}
