#pragma once

#include <QHash>

#include <algorithm>
#include <list>
#include <utility>

namespace mmv::storage::detail {

/// A map that holds at most `capacity` entries and evicts the least recently used one when a
/// new entry would exceed it. find() and insert() count as a use. Not thread-safe.
template<typename Key, typename Value>
class LruCache
{
public:
    explicit LruCache(qsizetype capacity)
        : m_capacity(std::max<qsizetype>(1, capacity))
    { }

    LruCache(const LruCache &) = delete;
    LruCache &operator=(const LruCache &) = delete;

    /// The entry of `key` (now the most recently used), or nullptr.
    Value *find(const Key &key)
    {
        const auto it = m_index.constFind(key);
        if (it == m_index.cend())
            return nullptr;
        m_items.splice(m_items.begin(), m_items, it.value());
        return &m_items.front().second;
    }

    /// Sets the entry of `key`, evicting the least recently used entries beyond capacity.
    Value &insert(const Key &key, Value value)
    {
        if (Value *existing = find(key)) {
            *existing = std::move(value);
            return *existing;
        }
        m_items.emplace_front(key, std::move(value));
        m_index.insert(key, m_items.begin());
        while (m_items.size() > size_t(m_capacity)) {
            m_index.remove(m_items.back().first);
            m_items.pop_back();
        }
        return m_items.front().second;
    }

    /// The entry of `key`, default-constructed first if there is none.
    Value &findOrInsert(const Key &key)
    {
        if (Value *existing = find(key))
            return *existing;
        return insert(key, Value{});
    }

    void remove(const Key &key)
    {
        const auto it = m_index.constFind(key);
        if (it == m_index.cend())
            return;
        m_items.erase(it.value());
        m_index.erase(it);
    }

    bool contains(const Key &key) const { return m_index.contains(key); }
    qsizetype size() const { return m_index.size(); }
    qsizetype capacity() const { return m_capacity; }
    void clear()
    {
        m_index.clear();
        m_items.clear();
    }

private:
    using Item = std::pair<Key, Value>;
    qsizetype m_capacity;
    std::list<Item> m_items; // most recently used first
    QHash<Key, typename std::list<Item>::iterator> m_index;
};

} // namespace mmv::storage::detail
