{
  "variables": {
    "have_verbs": "<!(sh -c 'if test -f /usr/include/infiniband/verbs.h; then echo 1; else echo \"ibvf: infiniband/verbs.h not found (Debian: apt install libibverbs-dev); the verbs transport is compiled out\" 1>&2; echo 0; fi')"
  },
  "targets": [
    {
      "target_name": "ibvf_probe",
      "sources": [
        "native/addon.cc",
        "native/timer.cc",
        "native/wait.cc",
        "native/shm_channel.cc",
        "native/tcp_channel.cc",
        "native/measure.cc",
        "native/job.cc",
        "native/endpoint.cc",
        "native/tcp_listener.cc",
        "native/cpu.cc",
        "native/compute.cc",
        "native/noise.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lrt", "-pthread"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        [
          "have_verbs==1",
          {
            "sources": [
              "native/verbs/ibverbs.cc",
              "native/verbs/devices.cc",
              "native/verbs/channel.cc",
              "native/verbs/binding.cc"
            ],
            "libraries": ["-ldl"]
          },
          { "sources": ["native/verbs/absent.cc"] }
        ]
      ]
    }
  ]
}
