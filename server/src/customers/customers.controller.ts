import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Actor } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { CustomersService } from './customers.service';

export class CreateCustomerDto {
  @ApiProperty({ example: 'Acme Devices Ltd' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles('issuer')
  create(@Body() body: CreateCustomerDto, @Actor() actor: string) {
    return this.customers.createCustomer(body.name, actor);
  }

  @Get()
  @Roles('issuer', 'auditor')
  list(@Query() query: PageQuery) {
    return this.customers.listCustomers(query);
  }

  @Get(':id')
  @Roles('issuer', 'auditor')
  get(@Param('id') id: string) {
    return this.customers.getCustomer(id);
  }
}
