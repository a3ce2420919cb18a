import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONFIG, type ServerConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { Database } from './database.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ServerConfig) => ({ ...dataSourceOptions(config), retryAttempts: 1 }),
    }),
  ],
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule {}
