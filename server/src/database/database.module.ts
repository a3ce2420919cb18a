import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { CONFIG, type ServerConfig } from '../config/config';
import { dataSourceOptions, initializeDataSource } from './data-source-options';
import { Database } from './database.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ServerConfig) => ({ ...dataSourceOptions(config), retryAttempts: 1 }),
      dataSourceFactory: (options) => initializeDataSource(options as DataSourceOptions),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
