# Sanitizer builds (presets asan-ubsan and tsan): applied to every target of the tree.
if(PROBECHECK_SANITIZE)
  add_compile_options(-fsanitize=${PROBECHECK_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${PROBECHECK_SANITIZE})
  if(PROBECHECK_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
