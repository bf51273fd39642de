# Warnings for every probecheck target; -Werror when PROBECHECK_WERROR is on (CI sets it).
function(probecheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                         -Wimplicit-fallthrough)
  # GCC 12 reports -Wrestrict false positives inside std::string concatenation at -O3
  # (https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105329); the check is off for that reason only.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(PROBECHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
