#include "store.h"

#include "filestore.h"
#include "redisstore.h"

namespace mmv::storage {

std::unique_ptr<Store> createStore(const QString &redisUrl, const QString &dataDir)
{
    if (!redisUrl.trimmed().isEmpty())
        return std::make_unique<RedisStore>(redisUrl);
    return std::make_unique<FileStore>(dataDir);
}

} // namespace mmv::storage
