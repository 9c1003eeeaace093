# Storage tests (server/storage). Included from tests/CMakeLists.txt, so paths are relative to
# tests/. tst_store runs one behavioural suite against FileStore and RedisStore; the Redis
# tests start their own redis-server on a free loopback port (tests/common/redisserver.h).
mmv_add_qtest(tst_filestore SOURCES unit/tst_filestore.cpp
              LIBS mmv_storage LABELS unit storage)
mmv_add_qtest(tst_store SOURCES integration/tst_store.cpp
              LIBS mmv_storage LABELS integration storage redis)
mmv_add_qtest(tst_redisstore SOURCES integration/tst_redisstore.cpp
              LIBS mmv_storage LABELS integration storage redis)
foreach(test tst_filestore tst_store tst_redisstore)
    if(TARGET ${test})
        target_include_directories(${test} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/common)
    endif()
endforeach()
