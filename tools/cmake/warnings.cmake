# Warnings for every probecheck target; -Werror when PROBECHECK_WERROR is on (CI sets it).
function(probecheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                         -Wimplicit-fallthrough)
  if(PROBECHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
