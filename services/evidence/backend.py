"""Building the configured object store (local folder or S3) for the service process."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from minio import Minio
from minio.error import S3Error

from services.evidence.config import EvidenceConfig
from services.evidence.errors import StoreError
from services.evidence.store.base import ObjectStore
from services.evidence.store.local import LocalFolderStore
from services.evidence.store.s3 import S3Store


def _ensure_bucket(client: Minio, bucket: str, object_lock: bool) -> None:
    try:
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket, object_lock=object_lock)
    except S3Error as exc:
        if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise StoreError(f"cannot create the evidence bucket ({exc.code})") from exc


def _client(config: EvidenceConfig) -> Minio:
    return Minio(config.evidence_s3_endpoint, access_key=config.evidence_s3_access_key,
                 secret_key=config.evidence_s3_secret_key, secure=config.evidence_s3_secure,
                 region=config.evidence_s3_region)


async def open_store(config: EvidenceConfig) -> ObjectStore:
    if config.evidence_backend == "local":
        config.store_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return LocalFolderStore(config.store_dir)
    client = _client(config)
    await asyncio.to_thread(_ensure_bucket, client, config.evidence_s3_bucket,
                            config.evidence_s3_object_lock)
    retention = (timedelta(days=config.evidence_s3_retention_days)
                 if config.evidence_s3_retention_days > 0 else None)
    return S3Store(client, config.evidence_s3_bucket,
                   part_size=config.evidence_s3_part_size_mib * 1024 * 1024,
                   object_lock=config.evidence_s3_object_lock, retention=retention)


async def open_key_store(config: EvidenceConfig) -> ObjectStore | None:
    """The bucket for hearing key records, when configured apart from the content's (None =
    beside the content). It is created without object lock: records must really be deletable."""
    if config.evidence_backend != "s3" or not config.evidence_s3_keys_bucket:
        return None
    client = _client(config)
    await asyncio.to_thread(_ensure_bucket, client, config.evidence_s3_keys_bucket, False)
    return S3Store(client, config.evidence_s3_keys_bucket,
                   part_size=config.evidence_s3_part_size_mib * 1024 * 1024)
