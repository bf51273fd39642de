# Warnings for every probecheck target; -Werror when PROBECHECK_WERROR is on (CI sets it).
function(probecheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                         -Wimplicit-fallthrough)
  # GCC 12 reports -Wrestrict and -Wstringop-overflow false positives inside std::string
  # concatenation at -O3 and under LTO (https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105329);
  # the checks are off for that reason only, and only for GCC < 13.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
    target_link_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
  endif()
  if(PROBECHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
